// redline: click a highlighted claim to show its note (evidence, explanation, sources).
// Local, small, optional: without it, hovering shows the explanation and the notes stay listed.
document.addEventListener("DOMContentLoaded", function () {
  function show(mark) {
    var id = (mark.id || "").replace(/^claim-/, "");
    var note = document.getElementById("note-" + id);
    document.querySelectorAll("mark.claim.active, ol.notes li.active").forEach(function (el) {
      el.classList.remove("active");
    });
    mark.classList.add("active");
    if (note) {
      note.classList.add("active");
      note.scrollIntoView({ block: "nearest" });
    }
  }
  document.querySelectorAll("mark.claim").forEach(function (mark) {
    mark.setAttribute("tabindex", "0");
    mark.addEventListener("click", function () { show(mark); });
    mark.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); show(mark); }
    });
  });
});
