/**
 * A VS Code window starting, in miniature, run as its own process by
 * installation.node.test.ts: loads (or makes) the installation of a
 * storage folder and prints its id.
 *
 *   node --import tsx installation-loader.ts <folder>
 */
import { loadInstallation } from '../../extension/src/installation.ts';

process.stdout.write(loadInstallation(process.argv[2]!).id);
