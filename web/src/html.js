// html.js — htm bound to Preact's h, shared by every page.
import { h } from 'preact';
import htm from 'htm';

export const html = htm.bind(h);

// A small error box for an API failure (shows the API's own code and message).
export function ErrorBox({ error }) {
  if (!error) return null;
  return html`<p class="error" role="alert">${error.code ? `${error.code}: ` : ''}${error.message}</p>`;
}
