// The page's little behaviour: the drop zone, sorting and filtering the tables, the build's elapsed time.
// No library, nothing loaded from elsewhere; the page works without it (the forms post as they are).
(function () {
  "use strict";
  var zone = document.getElementById("upload-form");
  var input = document.getElementById("exports-input");
  if (zone && input) {
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        zone.submit();
      }
    });
  }

  function cellText(row, index) {
    var cell = row.cells[index];
    return cell ? cell.textContent.trim() : "";
  }
  function compare(a, b) {
    var x = Number(a.replace(/,/g, "")), y = Number(b.replace(/,/g, ""));
    if (a !== "" && b !== "" && !isNaN(x) && !isNaN(y)) { return x - y; }
    return a.localeCompare(b);
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th").forEach(function (th, index) {
      function sort() {
        var body = table.tBodies[0];
        var up = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th").forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        Array.prototype.slice.call(body.rows).sort(function (r1, r2) {
          var order = compare(cellText(r1, index), cellText(r2, index));
          return up ? order : -order;
        }).forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") { sort(); } });
    });
  });
  document.querySelectorAll("input.filter").forEach(function (box) {
    box.addEventListener("input", function () {
      var table = document.getElementById(box.getAttribute("data-table"));
      var words = box.value.toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        row.hidden = words !== "" && row.textContent.toLowerCase().indexOf(words) < 0;
      });
    });
  });

  var build = document.getElementById("build-form");
  if (build) {
    build.addEventListener("submit", function () {
      var button = document.getElementById("build-button");
      var progress = document.getElementById("build-progress");
      var seconds = progress.querySelector(".seconds");
      var started = Date.now();
      button.disabled = true;
      progress.hidden = false;
      setInterval(function () { seconds.textContent = Math.round((Date.now() - started) / 1000); }, 1000);
    });
  }
}());
