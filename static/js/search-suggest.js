/* The header's search box: suggestions as you type, from /search/suggest/
   (JSON), without reloading the page. No inline script (CSP): loaded with
   `defer` from base.html. Without JavaScript the form still submits. */
(function () {
  "use strict";
  var form = document.querySelector("form.search-form[data-suggest-url]");
  if (!form || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var url = form.getAttribute("data-suggest-url");
  var list = document.createElement("ul");
  list.id = "search-suggestions";
  list.className = "search-suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "پیشنهادها");
  list.hidden = true;
  form.appendChild(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("autocomplete", "off");

  var timer = null;
  var latest = 0;
  var active = -1;

  function close() {
    list.hidden = true;
    list.textContent = "";
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function option(item, kind, index) {
    var li = document.createElement("li");
    li.setAttribute("role", "option");
    li.id = "search-suggestion-" + index;
    var a = document.createElement("a");
    a.href = item.url;
    a.textContent = item.title;
    if (kind === "category") {
      var small = document.createElement("small");
      small.textContent = " (دسته)";
      a.appendChild(small);
    }
    li.appendChild(a);
    return li;
  }

  function show(data) {
    list.textContent = "";
    var items = [];
    (data.categories || []).forEach(function (c) { items.push([c, "category"]); });
    (data.products || []).forEach(function (p) { items.push([p, "product"]); });
    if (!items.length) { close(); return; }
    items.forEach(function (pair, i) { list.appendChild(option(pair[0], pair[1], i)); });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function fetchSuggestions() {
    var text = input.value.trim();
    if (text.length < 2) { close(); return; }
    var ticket = ++latest;
    fetch(url + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data && ticket === latest) show(data); })
      .catch(function () { close(); });
  }

  function move(step) {
    var options = list.querySelectorAll("[role=option]");
    if (!options.length) return;
    if (active >= 0) options[active].removeAttribute("aria-selected");
    active = (active + step + options.length) % options.length;
    options[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", options[active].id);
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });
  input.addEventListener("keydown", function (event) {
    if (list.hidden) return;
    if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
    else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
    else if (event.key === "Escape") { close(); }
    else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      list.querySelectorAll("[role=option] a")[active].click();
    }
  });
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) close();
  });
})();
