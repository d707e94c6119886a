import { css } from 'lit';

/**
 * The chosen steps as chips joined by arrows, wrapping on a narrow page,
 * then the list to add a step: narrow when closed ("Add a step…"), its
 * options as wide as they need when open.
 */
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
  .step {
    display: inline-flex;
    align-items: center;
    gap: 8px;
    min-width: 0;
    max-width: 100%;
  }
  .then {
    color: var(--_muted);
  }
  .chip {
    display: inline-flex;
    align-items: center;
    min-width: 0;
    border: 1px solid var(--_border);
    border-radius: 4px;
    background: var(--_bg);
    padding-left: 8px;
  }
  .name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .chip button {
    background: none;
    border: none;
    color: var(--_muted);
    cursor: pointer;
    font: inherit;
    padding: 3px 8px;
  }
  .chip button:hover {
    color: var(--_fg);
  }
  select {
    width: 9.5em;
  }
  .hint {
    color: var(--_muted);
    font-size: 0.9em;
  }
  .error {
    color: var(--_danger);
  }
`;
