// Inside /embed: tells the page that frames it how tall the widget is, so that the
// page's frame.js can size the iframe to it (no inner scroll bar, no empty space).
if (window.parent !== window) {
  const main = document.querySelector("main");
  let last = 0;
  const post = () => {
    const height = Math.ceil(main.getBoundingClientRect().bottom + window.scrollY + 8);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: "aims:height", detail: { height } }, "*");
    }
  };
  new ResizeObserver(post).observe(main);
}
