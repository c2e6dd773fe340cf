"""The prose of BENCHMARKS.md: what the numbers do not say by themselves, the causes of the misses and
what was changed (measured on this machine while the work was done, in A/B runs of old and new trees;
kept here so that every regeneration carries them)."""

from __future__ import annotations

NOTES = """
## Misses, causes and fixes

A/B numbers below are CPU time (user and system) of the child process, old and new trees interleaved in
the same run, best of several rounds: wall time on this shared two-core machine swings by a third.

Issue 17, measured by this bench on a quiet machine before its second round (the previous version of this
file) and after it (this one), wall time: validate on 1,000 customers 4.36x the parse before, 3.01x after;
on 100, 5.79x and 4.19x; `report --format json` on 1,000, 5.94x and 3.74x; `plan <customer>` 0.423 s and
0.292 s; the pack 507 and 732 Analyze calls per second (the one-policy no-op pack 665 and 685). When the
issue was filed: validate 3.3-4.4x, report 4.5-6.5x, `--help` 0.55 s (now 0.06 s), report's peak at
10,000 customers 2,177 MB (now 544 MB), the pack about 200 calls per second.

**validate at 1,000 customers.** First version: 24.1 s, because each stack re-read and re-validated
`Pulumi.yaml` and its directory of 300 principals. Then, in turn: the project loaded once for a fleet
(`Project.stack`), each directory and grant list read once (3.9 s); a definition's grants read once per
shared properties mapping, rules declaring what they read (`Rule.reads`), paths shown without
`Path.resolve()`, the cyclic garbage collector's survivors frozen over the bulk command (`fleet.bulk`),
YAML data built straight from the nodes with no node tree kept. Issue 17, second round: each named
stack's plan built once for its own rules and the rules across stacks (it was built twice); a stack's
resources grouped once per evaluation by what each rule reads and applies to; a definition's inputs
checked once per offer, a value first asked whether it is plainly readable before the full walk (which
alone says what is reported); a grant's delegated roles and approvers read once for every rule; GUIDs
matched once; UUIDv5 computed from the SHA-1 digest without `uuid.UUID`; the project's directory of
principals checked once for the fleet (Admin Agent groups, sorted names only for a message); display
paths without `abspath`/`relpath`. On 1,000 customers 3.04 s before, 2.07 s after (4.09x to 3.22x the
parse, same runs); at 100, 5.43x to about 4x. What misses, sampled with py-spy on 1,000 customers:
building the stacks 63% of the time (the parse 30%, of which the C parser 15%, PyYAML's Python resolver
7% and our tree builder 5%; pydantic 8%; reference checks 4%), imports 12%, the 34 rules 12% with none
above 1%, plans 7%, reading files and refusing links 7%. The floor is the C parse alone; PyYAML's
resolver and our line-keeping builder already cost about half of it again, so 2.5x leaves about 1.1x
of the parse for validation, 34 rules, plans and start-up. Frozen dataclasses were measured against
named tuples (about 1 µs each, some 60 ms for a fleet's 60,000 objects) and kept. Worker processes
were tried in an earlier round and dropped: on these two cores two processes ran a CPU-bound loop only
1.3x faster than one, and validate not faster at all.

**report at 1,000 customers.** Report runs validate's pipeline and adds the access rows, summaries and
output; its cost above validate was about 1.2 s. Now each access row is written as JSON text straight
from the row (a template, every string escaped by `json.encoder.encode_basestring`, the function
`json.dumps` itself uses; byte-identical, tested against `json.dumps` on hostile strings), a thousand
rows a piece, the text of each scope and each grant written once and reused (at most 4,096 of each
kept); rows built positionally, each grant's part worked out once per offer; summaries not deep-copied
by `dataclasses.asdict`; validate's module imported only for `--config`. In process on 1,000 customers
the JSON went from 0.6-0.9 s to 0.13-0.14 s and the rows from 0.27-0.33 s to 0.11-0.13 s; in A/B runs
report went from 4.5-6.4x the parse to 3.1-4.7x. What misses: validate's pipeline (above), plus the
plans built a second time for the rules across stacks (0.25-0.33 s). Building each plan once for both
passes, as validate does, would hold the fleet (about 332 MB at 10,000 customers), the rows (121 MB)
and the plans (167 MB) or the fleet rules' members (124 MB) at once, past the 600 MB bound; it needs
smaller members first.

**report's peak memory on 10,000 customers.** Before: 2,177 MB, of which about 540 MB the YAML node
trees kept for line numbers and over 1 GB the JSON: every access row as a dict, joined into one string
of about 390 MB, copied to add a newline and encoded whole by stdout. Now the trees are not kept
(`sources.YamlDocument` keeps the text), the JSON is written in pieces (`report.document.json_chunks`,
`-o` still atomic). What remains is the fleet itself (pydantic models, plans' rows, the stack files'
text), the fleet rules' members and the report's access rows.

**Start-up.** `--help` took 0.84 s (0.54 s CPU) because the CLI imported every command, pydantic,
requests and the Azure SDK first; now the command table (`cli/commands.py`) lists them and only the
command that runs is imported. `plan` went from 0.65 s to 0.40 s in the first round (no validate, audit
or HTTP modules; no patterns compiled by Rust's regex crate, which expanded `{0,62}` and `{1,90}`), then
this round: Azure's action wildcards matched as text (the pieces between stars in order,
case-insensitive; every wildcard of the shipped catalogue checked to answer as the regular expression
did) instead of 112 compiled regular expressions for one customer; the configuration models built
without string annotations, `list`/`dict` default factories (pydantic tokenizes their signatures) or
`to_camel`'s regular expressions (25 ms to 15 ms); the control-character pattern compiled only for text
that needs it; the shipped catalogue built once; the ARM evaluator, JUnit, git and SARIF helpers
imported only by the options that use them. A/B: `plan` 0.371 s to 0.327 s CPU, validate at 100
customers 0.614 s to 0.539 s. What misses, profiled: about 70% of `plan` is code no command that reads
a stack can avoid: the interpreter (0.035 s), pydantic's import, `importlib.metadata` (pulled in by
pydantic's plugin loader at the first model build) and PyYAML's import. Ours: reading and checking the
928 roles of the catalogue (about 11 ms, kept at load time: the file is input), the rule model's
dataclasses (about 10 ms), importing the 34 rule modules, the directory of 300 principals (8 ms).
`defer_build` was measured and is slower (the first stack builds the same schemas). 0.25 s needs `plan`
to stop importing pydantic and PyYAML, not more trimming.

**The program under the mock engine.** The bound assumes a registration costs about a millisecond; a
pulumi-azure-native resource costs 6-8 ms in the Python SDK, so a stack of 10 subscriptions (20 or more
resources) cannot register in 50 ms. Profiled: each azure-native resource class adds seven aliases to
older API-version type tokens, and the SDK turns each into a URN output in `Resource.__init__`; 80
registrations took 489 ms with those aliases and 145 ms without. The aliases are kept: they do nothing
for this project's stacks, but stripping a provider's aliases risks a replacement the day a token
changes. Growth is linear (about 8 ms per resource at any size), and in a real `pulumi up` Azure's API
calls take seconds per resource.

**The policy pack's Analyze rate.** pulumi-policy converts the request's properties again for every
resource policy of every `Analyze`, and the pack keeps one policy per rule (23 resource policies) so
that names, levels and settings stay per rule. First round: 202 calls per second before;
`policies/server.py` extends the SDK's server class so that each request is converted once for every
policy, and the engine's environment is copied into the Pulumi runtime once per process. This round,
profiled in process around the servicer's `Analyze`, a call still spent a fifth converting the request
in four passes, a third in the SDK's loop around the 23 policies (a level lookup, an arguments object, a
report function and an await check each), a tenth preparing each rule's run, a quarter in the rules.
Now the request's Struct is read into plain values in one pass (`sent.from_wire`, tested against the
SDK's own conversion); each rule's policy, still the SDK's `ResourceValidationPolicy` with its own name,
level and settings, is asked for its violations directly (`tests/policies/test_server.py` compares every
answer with the SDK's own servicer); levels are worked out once per `Configure`, through the override
that keeps locked rules mandatory; a request's policies share one evaluation, and a rule that applies
to none of the request's kinds is skipped. In process a call went from 746 µs to about 200 µs of CPU;
over gRPC, in one interleaved run, 636 calls per second before and 953 after, the one-policy no-op pack
898. What remains is mostly grpcio's synchronous server (about 600 µs of CPU per call in every pack; an
asyncio server was slower) and the bench's own client; results are not cached across requests (the
bench sends the same resources again and again; a real preview sends each once).
""".splitlines()
