import { css } from 'lit';

/** One row of lists joined by arrows, wrapping on a narrow page; form controls as fp-dashboard's bar draws them. */
export const funnelStepsStyles = css`
  .picker {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 6px 8px;
  }
  .title {
    color: var(--_muted);
    margin-right: 4px;
  }
  .then {
    color: var(--_muted);
  }
  select {
    max-width: 16em;
    background: var(--_bg);
    border: 1px solid var(--_border);
    border-radius: 4px;
    color: var(--_fg);
    font: inherit;
    padding: 3px 6px;
  }
  select:focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .error {
    color: var(--_danger);
  }
`;
