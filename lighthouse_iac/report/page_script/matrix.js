  // --- filters --------------------------------------------------------------------------------------
  const controls = {
    text: document.getElementById("filter-text"),
    kind: document.getElementById("filter-kind"),
    privilege: document.getElementById("filter-privilege"),
    role: document.getElementById("filter-role"),
    sortPrincipals: document.getElementById("sort-principals"),
    sortCustomers: document.getElementById("sort-customers"),
  };
  [...new Set(rows.map((r) => r.role))].sort().forEach((role) =>
    controls.role.append(el("option", { value: role, text: role })));

  function filtered() {
    const words = controls.text.value.toLowerCase().split(/\s+/).filter(Boolean);
    return rows.filter((r) =>
      (!controls.kind.value || r.kind === controls.kind.value) &&
      (!controls.privilege.value || r.privilege === controls.privilege.value) &&
      (!controls.role.value || r.role === controls.role.value) &&
      words.every((w) => r.text.includes(w)));
  }

  // --- the matrix: principals x customers -----------------------------------------------------------
  function renderMatrix(list) {
    const cells = new Map();
    const principals = new Map();
    const customers = new Map();
    for (const r of list) {
      principals.set(r.principal, (principals.get(r.principal) || new Set()).add(r.customer));
      customers.set(r.customer, (customers.get(r.customer) || new Set()).add(r.principal));
      const key = `${r.principal.objectId}|${r.customer.stack}`;
      if (!cells.has(key)) cells.set(key, new Map());
      const grants = cells.get(key);
      const grantKey = `${r.role}|${r.kind}`;
      if (!grants.has(grantKey)) grants.set(grantKey, { role: r.role, kind: r.kind, privilege: r.privilege, scopes: [] });
      grants.get(grantKey).scopes.push(r);
    }
    const byName = (a, b) => a.name.localeCompare(b.name);
    const pList = [...principals.keys()].sort(controls.sortPrincipals.value === "reach"
      ? (a, b) => principals.get(b).size - principals.get(a).size || byName(a, b) : byName);
    const cList = [...customers.keys()].sort(controls.sortCustomers.value === "reach"
      ? (a, b) => customers.get(b).size - customers.get(a).size || byName(a, b) : byName);
    const table = document.getElementById("matrix");
    const head = el("thead", {}, [el("tr", {}, [
      el("th", { className: "corner", text: "Principals \u2193  customers \u2192", scope: "col" }),
      ...cList.map((c) => el("th", { className: "customer", scope: "col", "data-stack": c.stack }, [
        c.name, el("small", { text: `${c.stack} \u00b7 ${plural(customers.get(c).size, "principal")}` })])),
    ])]);
    const body = el("tbody", {}, pList.map((p) => el("tr", { "data-principal": p.name }, [
      el("th", { className: "principal", scope: "row" }, [
        p.name, el("small", { text: `${p.displayName} \u00b7 ${p.kind} \u00b7 ${plural(principals.get(p).size, "customer")}` }),
      ]),
      ...cList.map((c) => {
        const grants = cells.get(`${p.objectId}|${c.stack}`);
        const td = el("td", { "data-principal": p.name, "data-stack": c.stack, className: grants ? "" : "empty" });
        if (grants) {
          const sorted = [...grants.values()].sort((a, b) =>
            RANK[a.privilege] - RANK[b.privilege] || a.kind.localeCompare(b.kind) || a.role.localeCompare(b.role));
          for (const g of sorted) {
            const node = chip(g.role, g.kind, g.privilege, g.scopes.every((s) => s.offboarding) ? "offboarding" : "");
            if (g.kind === "eligible") {
              const policies = new Set(g.scopes.map((s) => s.conditions));
              node.append(el("span", { className: "jit", text: policies.size === 1 ? `JIT: ${[...policies][0]}` : "JIT: policies vary" }));
            }
            node.title = [
              `${g.role}: ${g.kind}, ${PRIVILEGE[g.privilege]}`,
              ...g.scopes.map((s) => `${s.scope}  (${s.offer})${s.conditions ? "  " + s.conditions : ""}` +
                (s.offboarding ? "  [offboarding]" : "")),
            ].join("\n");
            td.append(node, " ");
          }
        }
        return td;
      }),
    ])));
    if (!pList.length) {
      body.append(el("tr", {}, [el("td", { className: "muted", text: "No authorization matches the filters." })]));
    }
    table.replaceChildren(head, body);
  }

