/* The decision form: the phase list shows only the chosen project's phases. Without
   JavaScript every phase stays, grouped "Project – fase", and the server refuses a phase
   of another project. */
(function () {
  "use strict";
  function setUp(phase) {
    var project = document.getElementById(phase.dataset.projectField);
    if (!project) { return; }
    var byProject = JSON.parse(phase.dataset.phasesByProject || "{}");
    function follow() {
      var allowed = (byProject[project.value] || []).map(String);
      Array.prototype.forEach.call(phase.querySelectorAll("option"), function (option) {
        var keep = option.value === "" || allowed.indexOf(option.value) !== -1;
        option.hidden = !keep;
        option.disabled = !keep;
      });
      Array.prototype.forEach.call(phase.querySelectorAll("optgroup"), function (group) {
        group.hidden = !group.querySelector("option:not([hidden])");
      });
      if (phase.selectedOptions.length && phase.selectedOptions[0].disabled) { phase.value = ""; }
    }
    project.addEventListener("change", follow);
    follow();
  }
  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("select[data-phases-by-project]"), setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
