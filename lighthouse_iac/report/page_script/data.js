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

