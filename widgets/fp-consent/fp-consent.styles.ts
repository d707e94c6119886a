import { css } from 'lit';

/** The consent banner (fixed at the bottom of the page) and the inline switch. */
export const consentStyles = css`
  /* Nothing to show until a tracker says the state; a banner goes once a choice is made (unless persistent). */
  :host(:not([consent])),
  :host([variant='banner'][consent='granted']:not([persistent])),
  :host([variant='banner'][consent='denied']:not([persistent])) {
    display: none;
  }
  :host([variant='banner']) {
    position: fixed;
    left: 0;
    right: 0;
    bottom: 0;
    z-index: var(--fp-consent-z-index, 1000);
  }
  .banner {
    box-sizing: border-box;
    background: var(--_bg);
    border-top: 1px solid var(--_border);
    box-shadow: 0 -4px 16px color-mix(in srgb, var(--_fg) 12%, transparent);
  }
  .banner-inner {
    box-sizing: border-box;
    max-width: var(--fp-consent-max-width, 1100px);
    margin: 0 auto;
    padding: 14px 24px;
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    gap: 12px 32px;
  }
  .message {
    flex: 1 1 480px;
    min-width: 0;
  }
  h2 {
    font-size: 1.05em;
    font-weight: 600;
    margin: 0 0 4px;
  }
  p {
    margin: 0;
  }
  .links {
    display: flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 4px 16px;
    margin-top: 6px;
  }
  .actions {
    display: flex;
    flex-direction: column;
    align-items: flex-end;
    gap: 8px;
    flex: 0 0 auto;
  }
  .buttons {
    display: flex;
    gap: 8px;
  }
  /* Allow and Decline look alike: neither choice is pushed. */
  button.choice {
    min-width: 96px;
    background: var(--_bg);
    color: var(--_fg);
    border: 1px solid var(--_border);
    border-radius: 6px;
    padding: 6px 14px;
    font: inherit;
    font-weight: 600;
    cursor: pointer;
  }
  button.choice:hover:not([aria-disabled='true']) {
    border-color: var(--_accent);
  }
  button[aria-disabled='true'] {
    cursor: progress;
    opacity: 0.7;
  }
  button.link {
    background: none;
    border: none;
    color: var(--_accent);
    cursor: pointer;
    font: inherit;
    padding: 0;
    text-decoration: underline;
  }
  a {
    color: var(--_accent);
  }
  button:focus-visible,
  input:focus-visible,
  a:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .current {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .delete {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    font-size: 0.9em;
  }
  .delete input {
    margin: 0;
    accent-color: var(--_accent);
  }
  .details {
    margin: 8px 0 0;
    padding-left: 1.2em;
  }
  .details li + li {
    margin-top: 2px;
  }
  .details .why {
    color: var(--_muted);
  }
  .error {
    color: var(--_danger);
    margin-top: 6px;
  }

  /* The inline switch of a settings page. */
  .toggle {
    background: var(--_bg);
  }
  .toggle-row {
    display: flex;
    align-items: center;
    gap: 10px;
  }
  .toggle-row label {
    font-weight: 600;
    cursor: pointer;
  }
  .toggle .text {
    color: var(--_muted);
    margin: 4px 0 0;
  }
  .toggle .delete {
    margin-top: 6px;
  }
  button[role='switch'] {
    position: relative;
    flex: 0 0 auto;
    width: 40px;
    height: 22px;
    padding: 0;
    border-radius: 11px;
    border: 1px solid var(--_muted);
    background: var(--_bg);
    cursor: pointer;
  }
  button[role='switch'] .thumb {
    position: absolute;
    top: 2px;
    left: 2px;
    width: 16px;
    height: 16px;
    border-radius: 50%;
    background: var(--_muted);
    transition: left 120ms ease;
  }
  button[role='switch'][aria-checked='true'] {
    background: var(--_accent);
    border-color: var(--_accent);
  }
  button[role='switch'][aria-checked='true'] .thumb {
    left: 20px;
    background: var(--_bg);
  }
  .state-word {
    color: var(--_muted);
    font-size: 0.9em;
  }
  @media (prefers-reduced-motion: reduce) {
    button[role='switch'] .thumb {
      transition: none;
    }
  }
`;
