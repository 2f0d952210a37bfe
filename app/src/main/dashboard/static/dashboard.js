// Asks before a form marked data-confirm (rollback, abort) is sent. The pages work without it.
document.addEventListener("submit", (event) => {
  const question = event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
