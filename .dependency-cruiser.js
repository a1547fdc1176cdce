/**
 * dependency-cruiser, run by `npm run lint` over src/, commands/, bench/ and test/ (see the `lint:deps` script).
 * It checks two of the project's boundaries: no import cycles, and a rules engine free of I/O.
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'This import closes a cycle (the message lists it). Move the shared piece into a module both sides can ' +
        'import instead. Type-only imports count: with tsPreCompilationDeps they are in the graph like any other.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'milestones-no-io',
      severity: 'error',
      comment:
        'src/milestones/ is the pure rules engine: nothing it imports, directly or through other modules, may use ' +
        'a Node built-in or an npm package other than luxon and zod (that is where file, network, Redis and ' +
        'process access come from).',
      from: { path: '^src/milestones/' },
      to: { reachable: true, pathNot: ['^src/', '^node_modules/(luxon|zod)/'] },
    },
  ],
  options: {
    // Type-only imports (`import type`, `import { type X }`) are erased by tsc but still count here.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Packages are leaves of the graph: resolved (so the rules can name them) but not cruised.
    doNotFollow: { path: '^node_modules/' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
