import { css } from 'lit';

export const errorsStyles = css`
  .top {
    margin-top: 16px;
  }
`;
