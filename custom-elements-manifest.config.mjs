// `npx cem analyze` (run by `npm run build`): writes dist/custom-elements.json
// from the JSDoc of every element class in widgets/.
export default {
  globs: ['widgets/**/*.ts'],
  exclude: ['widgets/demo/**', 'widgets/**/*.styles.ts', 'widgets/index.ts'],
  outdir: 'dist',
  litelement: true,
  packagejson: false,
};
