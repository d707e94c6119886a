import { css } from 'lit';

export const frictionStyles = css`
  .frame {
    container-type: inline-size;
  }
  .signals {
    display: grid;
    grid-template-columns: minmax(0, 1fr);
    gap: 16px 24px;
  }
  /* Three lists side by side only when each keeps room for its names; two beside one would leave a hole. */
  @container (min-width: 720px) {
    .signals {
      grid-template-columns: repeat(3, minmax(0, 1fr));
    }
  }
`;
