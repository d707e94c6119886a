import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** A query spec written in a test file, with where it was found. */
export interface FoundSpec {
  where: string;
  spec: Record<string, unknown>;
}

/** Marks a node whose value cannot be known without running the test. */
const UNKNOWN = Symbol('unknown');

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/**
 * The specs (object literals with a `kind` among `kinds`) written in the
 * test files under `dir`, so the schema is checked against every spec the
 * suite sends to a store. A spec counts when all of its values are
 * literals, or names of constants of its file holding literals (`...range`,
 * `steps`); specs built at run time (a variable, a `Date`) are left out.
 * A name declared twice in a file is read as its first declaration: the
 * specs are run through a store before anything is claimed of them, so a
 * wrong reading only makes another spec to check.
 */
export function specsInTests(dir: string, kinds: readonly string[]): FoundSpec[] {
  const found: FoundSpec[] = [];
  for (const file of testFiles(dir)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const constants = new Map<string, ts.Expression>();
    const collect = (node: ts.Node): void => {
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && !constants.has(node.name.text)) {
        constants.set(node.name.text, node.initializer);
      }
      ts.forEachChild(node, collect);
    };
    collect(source);

    const valueOf = (node: ts.Node, depth = 0): unknown => {
      if (depth > 20) return UNKNOWN;
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
      if (ts.isNumericLiteral(node)) return Number(node.text.replaceAll('_', ''));
      if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
      if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
      if (node.kind === ts.SyntaxKind.NullKeyword) return null;
      if (ts.isPrefixUnaryExpression(node) && node.operator === ts.SyntaxKind.MinusToken) {
        const operand = valueOf(node.operand, depth + 1);
        return typeof operand === 'number' ? -operand : UNKNOWN;
      }
      if (ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isParenthesizedExpression(node)) return valueOf(node.expression, depth + 1);
      if (ts.isIdentifier(node)) {
        const initializer = constants.get(node.text);
        return initializer ? valueOf(initializer, depth + 1) : UNKNOWN;
      }
      if (ts.isArrayLiteralExpression(node)) {
        const items = node.elements.map((element) => valueOf(element, depth + 1));
        return items.includes(UNKNOWN) ? UNKNOWN : items;
      }
      if (ts.isObjectLiteralExpression(node)) {
        const object: Record<string, unknown> = {};
        for (const property of node.properties) {
          if (ts.isSpreadAssignment(property)) {
            const spread = valueOf(property.expression, depth + 1);
            if (typeof spread !== 'object' || spread === null || Array.isArray(spread)) return UNKNOWN;
            Object.assign(object, spread);
            continue;
          }
          const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : null;
          if (name === null) return UNKNOWN;
          const value = ts.isPropertyAssignment(property)
            ? valueOf(property.initializer, depth + 1)
            : ts.isShorthandPropertyAssignment(property)
              ? valueOf(property.name, depth + 1)
              : UNKNOWN;
          if (value === UNKNOWN) return UNKNOWN;
          object[name] = value;
        }
        return object;
      }
      return UNKNOWN;
    };

    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node)) {
        const kind = node.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === 'kind');
        if (kind && ts.isStringLiteral(kind.initializer) && kinds.includes(kind.initializer.text)) {
          const spec = valueOf(node);
          const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
          if (spec !== UNKNOWN) found.push({ where: `${relative(process.cwd(), file)}:${line}`, spec: spec as Record<string, unknown> });
          return;
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}
