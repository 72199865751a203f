// Tells a resident, before they submit, that the way of taking part they chose is full and
// that they will be on its waiting list. Without JavaScript the choice's label says the same.
(function () {
  "use strict";
  var notice = document.getElementById("attendance-mode-notice");
  if (!notice) return;
  var radios = document.querySelectorAll("input[type=radio][name=attendance_mode]");
  function update() {
    var text = "";
    radios.forEach(function (radio) {
      if (radio.checked && radio.dataset.fullNotice) text = radio.dataset.fullNotice;
    });
    notice.textContent = text;
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();
