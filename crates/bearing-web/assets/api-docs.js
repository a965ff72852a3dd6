// The API reference page (/api/docs): the vendored Redoc renders the
// OpenAPI document named by the container's data-spec-url. An external
// module (not an inline script) so the page's Content-Security-Policy can
// allow scripts from this origin only.
import { init } from "/assets/vendor/redoc.standalone.js";

const el = document.getElementById("api-reference");
if (el) {
  init(
    el.dataset.specUrl,
    {
      // Redoc 3 reports usage to Redocly's collector unless told not to.
      disableTelemetry: true,
      hideLoading: true,
    },
    el,
  );
}
