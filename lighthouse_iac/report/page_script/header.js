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

