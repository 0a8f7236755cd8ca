// The setup token arrives in the URL fragment, which browsers never send to the server.
const token = new URLSearchParams(location.hash.slice(1)).get('token');
history.replaceState(null, '', location.pathname);

function showError(message) {
  const box = document.getElementById('error');
  box.textContent = message;
  box.hidden = false;
}

document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('setup-form');
  if (!token) showError('This page needs the setup link printed by the server at start.');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    if (!data.organisationName) delete data.organisationName;
    const response = await fetch('/api/v1/setup', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...data, token }),
    });
    const body = await response.json();
    if (!response.ok) {
      const details = (body.error.details || []).map((d) => `${d.path}: ${d.message}`).join('; ');
      showError(details ? `${body.error.message} (${details})` : body.error.message);
      return;
    }
    form.hidden = true;
    document.getElementById('error').hidden = true;
    document.getElementById('api-token').textContent = body.apiToken;
    document.getElementById('result').hidden = false;
  });
});
