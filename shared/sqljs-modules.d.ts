// sql.js ships one UMD build per target; this is the one bundled for Node and browsers alike.
declare module 'sql.js/dist/sql-wasm-browser.js' {
  import initSqlJs from 'sql.js';
  export default initSqlJs;
}
