function showGreeting(name) {
  const banner = document.getElementById("greeting");
  // ruleid: freshet-js-innerhtml-nonliteral
  banner.innerHTML = "<h2>Welcome back, " + name + "</h2>";
}

function renderComment(list, comment) {
  // ruleid: freshet-js-innerhtml-nonliteral
  list.innerHTML += `<li class="comment">${comment.body}</li>`;
}

function replaceCard(card, html) {
  // ruleid: freshet-js-innerhtml-nonliteral
  card.outerHTML = html;
}

function fromQuery() {
  const params = new URLSearchParams(location.search);
  // ruleid: freshet-js-innerhtml-nonliteral
  document.querySelector("#q").innerHTML = params.get("q");
}

function clear(container) {
  // ok: freshet-js-innerhtml-nonliteral
  container.innerHTML = "";
}

function spinner(container) {
  // ok: freshet-js-innerhtml-nonliteral
  container.innerHTML = '<div class="spinner" aria-busy="true"></div>';
}

function safeText(el, name) {
  // ok: freshet-js-innerhtml-nonliteral
  el.textContent = "Hello, " + name;
}

function sanitized(el, html) {
  // ok: freshet-js-innerhtml-nonliteral
  el.innerHTML = DOMPurify.sanitize(html);
}
