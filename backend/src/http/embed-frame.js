// AIMS Readiness: sizes each iframe that shows this server's /embed page to its content.
// On the page that frames the widget:
//   <iframe src="https://consultancy.example/embed" title="ISO/IEC 42001 readiness"></iframe>
//   <script src="https://consultancy.example/embed/frame.js" defer></script>
(() => {
  const origin = new URL(document.currentScript.src).origin;
  window.addEventListener("message", (event) => {
    const data = event.data;
    if (event.origin !== origin || !data || data.type !== "aims:height") return;
    const height = Math.max(200, Math.min(20000, Number(data.detail && data.detail.height) || 0));
    for (const frame of document.querySelectorAll("iframe")) {
      if (frame.contentWindow === event.source) frame.style.height = height + "px";
    }
  });
})();
