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

