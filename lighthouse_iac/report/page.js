"use strict";
// Renders the embedded report data. Values from the stack files are only ever set as text, never as HTML.
(function () {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const ROW_LIMIT = 1000;
  const PRIVILEGE = {
    access: "grants access",
    write: "can change resources",
    read: "read-only",
    removal: "removes the delegation",
    unknown: "unknown role",
  };
  const RANK = { access: 0, write: 1, read: 2, removal: 3, unknown: 4 };
  // Access rows: [customer, principal, role, kind, conditions, offer, scope, privilege, offboarding]
  const rows = data.access.map((r) => ({
    customer: data.customers[r[0]],
    principal: data.principals[r[1]],
    role: r[2],
    kind: r[3],
    conditions: r[4],
    offer: r[5],
    scope: r[6],
    privilege: r[7],
    offboarding: r[8],
  }));
  rows.forEach((r) => {
    r.text = [
      r.customer.name, r.customer.stack, r.principal.name, r.principal.displayName, r.role, r.offer, r.scope,
    ].join("\n").toLowerCase();
  });

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = String(value);
      else if (key === "className") node.className = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children || []) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function plural(n, word) {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
  }

  // A table whose header cells sort it; `columns`: {label, value(row), num?, cell?(row) -> node}.
  function sortableTable(table, columns, source, limit) {
    let sortIndex = -1;
    let ascending = true;
    let current = source;
    const head = el("thead", {}, [el("tr", {}, columns.map((c, i) => {
      const th = el("th", { text: c.label, className: c.num ? "num" : "", scope: "col", tabindex: 0 });
      const sort = () => {
        ascending = sortIndex === i ? !ascending : true;
        sortIndex = i;
        render(current);
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", (e) => { if (e.key === "Enter") sort(); });
      return th;
    }))]);
    const body = el("tbody");
    table.replaceChildren(head, body);

    function render(list) {
      current = list;
      let shown = list;
      if (sortIndex >= 0) {
        const col = columns[sortIndex];
        const sign = ascending ? 1 : -1;
        shown = list.slice().sort((a, b) => {
          const x = col.value(a);
          const y = col.value(b);
          if (typeof x === "number" && typeof y === "number") return sign * (x - y);
          return sign * String(x).localeCompare(String(y), undefined, { numeric: true });
        });
      }
      head.querySelectorAll("th").forEach((th, i) => {
        if (i === sortIndex) th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        else th.removeAttribute("aria-sort");
      });
      const visible = limit ? shown.slice(0, limit) : shown;
      body.replaceChildren(...visible.map((row) => el("tr", { className: row.rowClass || "" }, columns.map((c) =>
        el("td", { className: c.num ? "num" : c.wrap ? "wrap" : "" }, [c.cell ? c.cell(row) : String(c.value(row))])))));
      return shown.length - visible.length;
    }
    return render;
  }

  function chip(role, kind, privilege, extra) {
    const classes = ["chip", `p-${privilege}`];
    if (kind === "eligible") classes.push("eligible");
    if (extra) classes.push(extra);
    return el("span", { className: classes.join(" "), text: role, "data-role": role, "data-kind": kind });
  }

  // --- header -------------------------------------------------------------------------------------
  document.getElementById("subtitle").textContent =
    `Managing tenant ${data.tenant} (${data.tenantId}), as declared in the stack files.`;
  const mandatory = data.findings.filter((f) => f.level === "mandatory").length;
  const advisory = data.findings.filter((f) => f.level === "advisory").length;
  const eligibleCount = rows.filter((r) => r.kind === "eligible").length;
  const totals = [
    ["Customers", data.customers.length, ""],
    ["Principals", data.principals.length, ""],
    ["Authorizations", rows.length, ""],
    ["Eligible (just in time)", eligibleCount, ""],
    ["Grant access to others", rows.filter((r) => r.privilege === "access").length, ""],
    ["Mandatory verdicts", mandatory, mandatory ? "bad" : ""],
    ["Advisory verdicts", advisory, advisory ? "warn" : ""],
  ];
  document.getElementById("totals").replaceChildren(...totals.map(([label, value, cls]) =>
    el("div", { className: `total ${cls}`, "data-total": label }, [el("b", { text: value }), label])));

  // --- changes against the base revision ------------------------------------------------------------
  if (data.diff) {
    const diff = data.diff;
    document.getElementById("changes").hidden = false;
    document.getElementById("base").textContent = diff.base;
    const body = document.getElementById("changes-body");
    const summary = el("p", {}, [
      el("span", { className: "badge gained", text: `${diff.gained.length} gained` }), ", ",
      el("span", { className: "badge lost", text: `${diff.lost.length} lost` }), ", ",
      `${diff.changed.length} changed.`,
    ]);
    body.append(summary);
    if (diff.addedStacks.length) body.append(el("p", { text: `New customer stacks: ${diff.addedStacks.join(", ")}.` }));
    if (diff.removedStacks.length) {
      body.append(el("p", { text: `Customer stack files removed: ${diff.removedStacks.join(", ")}.` }));
    }
    const changeRows = [
      ...diff.gained.map((r) => ({ change: "gained", r, detail: r[4] })),
      ...diff.lost.map((r) => ({ change: "lost", r, detail: r[4] })),
      ...diff.changed.map((r) => ({ change: "changed", r, detail: r[8] })),
    ];
    changeRows.forEach((c) => { c.rowClass = `change-${c.change}`; });
    if (changeRows.length) {
      const table = el("table", { id: "changes-table", className: "data sortable" });
      body.append(el("div", { className: "scroll" }, [table]));
      sortableTable(table, [
        { label: "Change", value: (c) => c.change },
        { label: "Customer", value: (c) => c.r[0] },
        { label: "Principal", value: (c) => c.r[1] },
        { label: "Role", value: (c) => c.r[2], cell: (c) => chip(c.r[2], c.r[3], c.r[7]) },
        { label: "Access", value: (c) => c.r[3] },
        { label: "Conditions / change", value: (c) => c.detail, wrap: true },
        { label: "Offer", value: (c) => c.r[5] },
        { label: "Scope", value: (c) => c.r[6], cell: (c) => el("span", { className: "mono", text: c.r[6] }) },
      ], changeRows)(changeRows);
    } else {
      body.append(el("p", { className: "clean", text: "No access gained, lost or changed." }));
    }
  }

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

  // --- the tables -----------------------------------------------------------------------------------
  const renderAccess = sortableTable(document.getElementById("access"), [
    { label: "Customer", value: (r) => r.customer.name },
    { label: "Principal", value: (r) => r.principal.name },
    { label: "Role", value: (r) => r.role, cell: (r) => chip(r.role, r.kind, r.privilege) },
    { label: "Access", value: (r) => r.kind },
    { label: "Conditions", value: (r) => r.conditions, wrap: true },
    { label: "Privilege", value: (r) => PRIVILEGE[r.privilege] },
    { label: "Offer", value: (r) => r.offer },
    { label: "Scope", value: (r) => r.scope, cell: (r) => el("span", { className: "mono", text: r.scope }) },
    { label: "State", value: (r) => (r.offboarding ? "offboarding" : "") },
  ], rows, ROW_LIMIT);

  sortableTable(document.getElementById("customers"), [
    { label: "Customer", value: (c) => c.name + (c.offboarding ? " (offboarding)" : "") },
    { label: "Stack", value: (c) => c.stack },
    { label: "Tenant", value: (c) => c.tenantId, cell: (c) => el("span", { className: "mono", text: c.tenantId }) },
    { label: "Offers", value: (c) => c.offers, num: true },
    { label: "Scopes", value: (c) => c.scopes, num: true },
    { label: "Principals", value: (c) => c.principals, num: true },
    { label: "Permanent", value: (c) => c.permanent, num: true },
    { label: "Eligible", value: (c) => c.eligible, num: true },
    { label: "Mandatory", value: (c) => c.mandatory, num: true },
    { label: "Advisory", value: (c) => c.advisory, num: true },
  ], data.customers)(data.customers);

  sortableTable(document.getElementById("principals"), [
    { label: "Principal", value: (p) => p.name },
    { label: "Name", value: (p) => p.displayName },
    { label: "Kind", value: (p) => p.kind },
    { label: "Object ID", value: (p) => p.objectId, cell: (p) => el("span", { className: "mono", text: p.objectId }) },
    { label: "Customers", value: (p) => p.customers, num: true },
    { label: "Scopes", value: (p) => p.scopes, num: true },
    { label: "Permanent", value: (p) => p.permanent, num: true },
    { label: "Eligible", value: (p) => p.eligible, num: true },
    { label: "Approves at", value: (p) => p.approves, num: true },
  ], data.principals)(data.principals);

  const findings = document.getElementById("findings");
  if (data.findings.length) {
    const table = el("table", { id: "findings-table", className: "data sortable" });
    findings.replaceChildren(el("div", { className: "scroll" }, [table]));
    sortableTable(table, [
      { label: "Stack", value: (f) => f.stack },
      { label: "Level", value: (f) => f.level, cell: (f) => el("span", { className: `level-${f.level}`, text: f.level }) },
      { label: "Rule", value: (f) => f.rule, cell: (f) => el("code", { text: f.rule }) },
      { label: "Where", value: (f) => f.where, cell: (f) => el("span", { className: "mono", text: f.where }) },
      { label: "Message", value: (f) => f.message, wrap: true },
    ], data.findings)(data.findings);
  } else {
    findings.replaceChildren(el("p", { className: "clean", text: "No verdicts: every stack passes every rule." }));
  }

  function update() {
    const list = filtered();
    renderMatrix(list);
    const hidden = renderAccess(list);
    document.getElementById("access-more").textContent = hidden
      ? `${hidden} more rows match; narrow the filters to see them.` : "";
    document.getElementById("filter-count").textContent =
      `${list.length} of ${plural(rows.length, "authorization")} shown`;
  }
  for (const control of Object.values(controls)) {
    control.addEventListener(control.tagName === "SELECT" ? "change" : "input", update);
  }
  document.getElementById("filter-reset").addEventListener("click", () => {
    controls.text.value = "";
    controls.kind.value = "";
    controls.privilege.value = "";
    controls.role.value = "";
    update();
  });
  update();
})();
