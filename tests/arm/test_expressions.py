"""The ARM expression subset: what the samples use evaluates as Azure would; the rest is refused clearly."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from lighthouse_iac.arm.expressions import Context, ExpressionError, arm_guid, evaluate_string, evaluate_value

SUB = "9c1b2a3d-1111-4222-8333-444455556666"


def _context(**parameters: Any) -> Context:
    variables = {"offer": "[parameters('name')]", "plan": {"name": "[parameters('name')]"}}

    def variable(name: str) -> Any:
        return evaluate_value(variables[name], ctx)

    ctx = Context(parameters, variable, SUB)
    return ctx


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("[parameters('name')]", "Relecloud"),
        ("[PARAMETERS('NAME')]", "Relecloud"),
        ("[variables('offer')]", "Relecloud"),
        ("[variables('plan').name]", "Relecloud"),
        ("[concat('Managed by', ' ', parameters('name'))]", "Managed by Relecloud"),
        ("[concat(parameters('groups'), createArray('c'))]", [{"rgName": "a"}, {"rgName": "b"}, "c"]),
        ("[format('{0}-{1}', parameters('name'), 2)]", "Relecloud-2"),
        ("[parameters('groups')[1].rgName]", "b"),
        ("[parameters('groups')[1]['rgName']]", "b"),
        ("[length(parameters('groups'))]", 2),
        ("[if(equals(parameters('flag'), 'Yes'), 'on', 'off')]", "off"),
        ("[if(equals(parameters('flag'), 'No'), json('null'), parameters('missing'))]", None),
        ("[toLower('ABC')]", "abc"),
        ("[string(1)]", "1"),
        ("[empty('')]", True),
        ("[subscription().subscriptionId]", SUB),
        (
            "[resourceId('Microsoft.ManagedServices/registrationDefinitions/', 'x')]",
            f"/subscriptions/{SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/x",
        ),
        (
            "[subscriptionResourceId('Microsoft.ManagedServices/registrationDefinitions', 'x')]",
            f"/subscriptions/{SUB}/providers/Microsoft.ManagedServices/registrationDefinitions/x",
        ),
        (
            "[resourceId('rg', 'Microsoft.ManagedServices/registrationAssignments', 'y')]",
            f"/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.ManagedServices/registrationAssignments/y",
        ),
        ("[[not an expression]", "[not an expression]"),
        ("plain text", "plain text"),
        ("['it''s']", "it's"),
    ],
    ids=lambda v: str(v)[:40],
)
def test_expression_values(expression: str, expected: Any) -> None:
    ctx = _context(name="Relecloud", groups=[{"rgName": "a"}, {"rgName": "b"}], flag="No")
    assert evaluate_string(expression, ctx) == expected


def test_guid_is_a_name_based_uuid_of_the_joined_arguments() -> None:
    # ARM's guid(a, b) hashes "a-b"; guid('ab') must differ, and the result is a version 5 UUID.
    joined = arm_guid("a", "b")
    assert joined == arm_guid("a-b") != arm_guid("ab")
    assert uuid.UUID(joined).version == 5
    ctx = _context(name="Relecloud Managed Services")
    assert evaluate_string("[guid(parameters('name'))]", ctx) == "a284898a-fc04-581d-aca0-047861d06160"


def test_copy_index_follows_the_current_loop() -> None:
    ctx = _context()
    ctx.copy_index, ctx.current_loop = {"groups": 2}, "groups"
    assert evaluate_string("[copyIndex()]", ctx) == 2
    assert evaluate_string("[copyIndex(1)]", ctx) == 3
    assert evaluate_string("[copyIndex('groups')]", ctx) == 2


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (
            "[reference('x').id]",
            "reference() has a value only Azure knows at deployment; it cannot be evaluated offline",
        ),
        (
            "[uniqueString('x')]",
            "uniqueString() has a value only Azure knows at deployment; it cannot be evaluated offline",
        ),
        ("[madeUp(1)]", "function 'madeUp' is not supported; supported: "),
        ("[parameters('nope')]", "no parameter 'nope'; known: name"),
        ("[copyIndex()]", "copyIndex() is used outside a copy loop"),
        ("[concat('a',]", "expected 'a value' but found the end in [concat('a',]"),
        ("[parameters('name').x]", "'.x' needs an object, found 'Relecloud'"),
        (
            "[int(json('1e400'))]",
            "json(): 1e400 is beyond the largest number a template can hold",
        ),
        ("[json('NaN')]", "json(): not valid JSON: 'NaN'"),
    ],
    ids=[
        "reference",
        "uniqueString",
        "unknown-function",
        "unknown-parameter",
        "copyIndex",
        "syntax",
        "member",
        "int-overflow",
        "json-nan",
    ],
)
def test_what_cannot_be_evaluated_says_why(expression: str, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        evaluate_string(expression, _context(name="Relecloud"))
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # Values Microsoft's engine produced (facts doc, "ARM template functions (verified)").
        ("[guid('asdf')]", "228d27cc-6fdb-5934-b7ac-1efccebade04"),
        ("[guid('foo', 'bar', 'baz')]", "2ed86837-7c7c-5eaa-9864-dd077fd19b0d"),
    ],
)
def test_guid_gives_what_arm_gives(expression: str, expected: str) -> None:
    assert evaluate_string(expression, _context()) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("[guid()]", "The template language function 'guid' must have at least one parameter."),
        (
            "[guid('offer', 1)]",
            "The template language function 'guid' expects its parameters to be of type 'String'. "
            "The provided value is of type 'Integer'.",
        ),
        (
            "[guid(parameters('groups'))]",
            "The template language function 'guid' expects its parameters to be of type 'String'. "
            "The provided value is of type 'Array'.",
        ),
        ("[guid(true())]", "The provided value is of type 'Boolean'."),
    ],
)
def test_guid_refuses_what_arm_refuses(expression: str, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        evaluate_string(expression, _context(groups=[{"rgName": "a"}]))
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("tenant", "expression", "expected"),
    [
        (
            "6c1d2e3f-4a5b-4c7d-8e9f-0a1b2c3d4e5f",
            "[subscription().tenantId]",
            "6c1d2e3f-4a5b-4c7d-8e9f-0a1b2c3d4e5f",
        ),
        (
            "6c1d2e3f-4a5b-4c7d-8e9f-0a1b2c3d4e5f",
            "[tenant().tenantId]",
            "6c1d2e3f-4a5b-4c7d-8e9f-0a1b2c3d4e5f",
        ),
        (None, "[subscription().subscriptionId]", SUB),
        (None, "[subscription().id]", f"/subscriptions/{SUB}"),
    ],
)
def test_deployment_functions_read_what_the_user_gave(
    tenant: str | None, expression: str, expected: str
) -> None:
    ctx = _context()
    ctx.tenant_id = tenant
    assert evaluate_string(expression, ctx) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (
            "[subscription().tenantId]",
            "subscription().tenantId is the customer's tenant, which was not given: pass --tenant-flag",
        ),
        (
            "[tenant().tenantId]",
            "tenant().tenantId is the customer's tenant, which was not given: pass --tenant-flag",
        ),
        ("[createArray(tenant())]", "tenant().tenantId is the customer's tenant"),
        ("[subscription().displayName]", "subscription().displayName is only known to Azure at deployment"),
        ("[__bicep.label('x')]", "__bicep.label() is a user-defined function"),
    ],
)
def test_unknown_deployment_values_name_what_supplies_them(expression: str, message: str) -> None:
    ctx = _context()
    ctx.tenant_flag = "--tenant-flag"
    with pytest.raises(ExpressionError) as caught:
        evaluate_string(expression, ctx)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # What Bicep writes for `a.?b`, `a[?0]`, and string and number helpers, as ARM evaluates them.
        ("[tryGet(parameters('spec'), 'Name')]", "ops"),
        ("[tryGet(parameters('spec'), 'missing')]", None),
        ("[tryGet(parameters('spec'), 'groups', 1)]", "b"),
        ("[tryGet(parameters('spec'), 'groups', 5)]", None),
        ("[coalesce(tryGet(parameters('spec'), 'description'), 'none')]", "none"),
        ("[last(split('/subscriptions/x/providers/T/name', '/'))]", "name"),
        ("[split('a,b;c', createArray(',', ';'))]", ["a", "b", "c"]),
        ("[startsWith('Microsoft.ManagedServices', 'microsoft.')]", True),
        ("[endsWith('rg-app', 'APP')]", True),
        ("[indexOf('abcabc', 'C')]", 2),
        ("[lastIndexOf('abcabc', 'c')]", 5),
        ("[indexOf('abc', 'z')]", -1),
        ("[substring('lighthouse', 5)]", "house"),
        ("[substring('lighthouse', 0, 5)]", "light"),
        ("[take(parameters('spec').groups, 1)]", ["a"]),
        ("[skip('rg-app', 3)]", "app"),
        ("[range(1, 3)]", [1, 2, 3]),
        ("[add(2, 3)]", 5),
        ("[sub(2, 3)]", -1),
        ("[mul(4, 3)]", 12),
        ("[div(-7, 2)]", -3),
        ("[mod(-7, 2)]", -1),
        ("[less(1, 2)]", True),
        ("[greaterOrEquals('b', 'a')]", True),
        ("[lessOrEquals(2, 2)]", True),
        ("[greater(1, 2)]", False),
    ],
)
def test_functions_bicep_output_uses(expression: str, expected: Any) -> None:
    spec = {"name": "ops", "groups": ["a", "b"]}
    assert evaluate_string(expression, _context(spec=spec)) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("[div(1, 0)]", "division by zero"),
        ("[mul(9223372036854775807, 2)]", "outside ARM's 64-bit integers"),
        ("[less(1, 'a')]", "cannot compare"),
        ("[substring('abc', 2, 5)]", "outside the string of 3 characters"),
        ("[range(0, 10001)]", "range() takes a count from 0 to 10000"),
        ("[split('a', '')]", "non-empty delimiter"),
    ],
)
def test_function_errors_are_expression_errors(expression: str, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        evaluate_string(expression, _context())
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        # Bicep's map(), filter(), reduce(), sort() and toObject() compile to lambda() expressions.
        ("[map(parameters('people'), lambda('p', lambdaVariables('p').id))]", ["1", "2", "3"]),
        (
            "[map(parameters('people'), lambda('p', 'i', "
            "concat(lambdaVariables('p').id, '#', string(lambdaVariables('i')))))]",
            ["1#0", "2#1", "3#2"],
        ),
        (
            "[filter(parameters('people'), lambda('p', equals(lambdaVariables('p').role, 'Reader')))]",
            [{"id": "1", "role": "Reader"}, {"id": "3", "role": "Reader"}],
        ),
        ("[reduce(parameters('people'), 0, lambda('n', 'p', add(lambdaVariables('n'), 1)))]", 3),
        (
            "[map(sort(parameters('people'), lambda('a', 'b', "
            "greater(lambdaVariables('a').id, lambdaVariables('b').id))), "
            "lambda('p', lambdaVariables('p').id))]",
            ["3", "2", "1"],
        ),
        (
            "[toObject(parameters('people'), lambda('p', lambdaVariables('p').id), "
            "lambda('p', lambdaVariables('p').role))]",
            {"1": "Reader", "2": "Contributor", "3": "Reader"},
        ),
        ("[flatten(createArray(createArray(1), createArray(2, 3)))]", [1, 2, 3]),
        ("[objectKeys(parameters('people')[0])]", ["id", "role"]),
    ],
)
def test_lambdas_as_arm_applies_them(expression: str, expected: Any) -> None:
    people = [
        {"id": "1", "role": "Reader"},
        {"id": "2", "role": "Contributor"},
        {"id": "3", "role": "Reader"},
    ]
    assert evaluate_string(expression, _context(people=people)) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("[lambdaVariables('p')]", "lambdaVariables('p') is used outside its lambda()"),
        ("[map(createArray(1), 'p')]", "expected a lambda()"),
        ("[filter(createArray(1), lambda('p', 'yes'))]", "must give true or false"),
        ("[map(createArray(1), lambda(parameters('x'), 1))]", "lambda() takes the names of its arguments"),
    ],
)
def test_lambda_misuse_is_an_expression_error(expression: str, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        evaluate_string(expression, _context(x="p"))
    assert message in str(caught.value)


def test_lambdas_inside_lambdas_cannot_build_without_bound() -> None:
    expression = "[map(range(0, 10000), lambda('x', range(0, 10000)))]"
    with pytest.raises(ExpressionError) as caught:
        evaluate_string(expression, _context())
    assert "map() builds more than 1,000,000 values" in str(caught.value)
