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
  showProblems(now.problems, now.never_built);
};

function showProblems(problems, neverBuilt) {
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
  const count = `The kb has ${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  const until = problems.length === 1 ? 'it is' : 'they are';
  heading.textContent = neverBuilt
    ? `${count}, so it has not been built yet: the widget shows no articles until ${until} fixed.`
    : `${count}: this page shows the last good build until ${until} fixed.`;
  const list = document.createElement('ul');
  for (const problem of problems) {
    const item = document.createElement('li');
    item.textContent = problem;
    list.append(item);
  }
  panel.replaceChildren(heading, list);
}
