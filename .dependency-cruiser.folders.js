/**
 * dependency-cruiser's second pass (the `lint:deps` script): no import cycles between folders. A folder may use
 * another only if that one never uses it back, directly or through other folders, so each folder can be read,
 * tested and changed with only the folders below it in mind.
 *
 * The modules at the top of src/ (the wiring: cli.ts, roles.ts, discord-app.ts, and small shared pieces such as
 * logger.ts and milestone-kinds.ts) are left out of this pass: every folder may read the shared pieces and the
 * wiring reads every folder, so counted as one folder they would join everything into one cycle. Cycles through
 * them are still caught module by module by the first pass (.dependency-cruiser.js, `no-circular`).
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
import modules from './.dependency-cruiser.js';

export default {
  forbidden: [
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment:
        'This import makes two folders depend on each other (the message lists the loop of folders). Move the ' +
        'piece both need into a module of its own beside them (as src/milestone-kinds.ts is), or turn the ' +
        'dependency around by handing it in.',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  // The first pass's resolution options, without the modules at the top of src/.
  options: { ...modules.options, exclude: { path: '^src/[^/]+\\.ts$' } },
};
