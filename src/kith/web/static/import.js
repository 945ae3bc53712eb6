// The import page's upload progress: htmx posts the form and reports the bytes sent; this
// moves the <progress> bar (a static file, as the CSP allows no inline script).
(function () {
  "use strict";
  function parts() {
    return {
      box: document.getElementById("import-progress-box"),
      bar: document.getElementById("import-progress"),
      status: document.getElementById("import-status"),
    };
  }
  function fromImportForm(event) {
    return event.target && event.target.id === "import-form";
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (!fromImportForm(event)) return;
    var p = parts();
    if (!p.box) return;
    p.box.hidden = false;
    p.bar.value = 0;
    p.bar.textContent = "0%";
    p.status.textContent = "";
  });
  document.addEventListener("htmx:xhr:progress", function (event) {
    if (!fromImportForm(event) || !event.detail.lengthComputable) return;
    var p = parts();
    if (!p.box) return;
    var percent = Math.round((event.detail.loaded / event.detail.total) * 100);
    p.bar.value = percent;
    p.bar.textContent = percent + "%";
    p.status.textContent = percent < 100 ? percent + "% sent" : "Sent; reading the file…";
  });
  document.addEventListener("htmx:responseError", function (event) {
    if (!fromImportForm(event)) return;
    var p = parts();
    if (!p.box) return;
    var xhr = event.detail.xhr;
    p.status.textContent =
      xhr.status === 413 ? "That file is too large: files up to 5 MB." : "The upload failed (" + xhr.status + "); try again.";
  });
})();
