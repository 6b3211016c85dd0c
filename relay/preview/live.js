// Live preview (`fixpath serve`): reloads the page after each good rebuild of the kb, and
// shows the problems of a failed one over the page, which keeps the last good bundle.
// The inbox page (body[data-fixpath-inbox]) also reloads when a ticket arrives.
let seen;
let panel;

new EventSource('/__fixpath/live').onmessage = (event) => {
  const now = JSON.parse(event.data);
  const inbox = document.body.hasAttribute('data-fixpath-inbox');
  if (seen && (now.build !== seen.build || (inbox && now.tickets !== seen.tickets))) {
    location.reload();
    return;
  }
  seen = now;
  showProblems(now.problems);
};

function showProblems(problems) {
  if (problems.length === 0) {
    panel?.remove();
    panel = undefined;
    return;
  }
  if (!panel) {
    panel = document.createElement('aside');
    panel.className = 'fixpath-live-problems';
    panel.setAttribute('role', 'alert');
    panel.setAttribute('aria-label', 'kb problems');
    document.body.prepend(panel);
  }
  const heading = document.createElement('p');
  heading.className = 'fixpath-live-heading';
  heading.textContent = `The kb has ${problems.length} problem${problems.length === 1 ? '' : 's'}: this page shows the last good build until ${problems.length === 1 ? 'it is' : 'they are'} fixed.`;
  const list = document.createElement('ul');
  for (const problem of problems) {
    const item = document.createElement('li');
    item.textContent = problem;
    list.append(item);
  }
  panel.replaceChildren(heading, list);
}
