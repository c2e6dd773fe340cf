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
