/**
 * dependency-cruiser, run by `npm run lint` over src/, commands/, emulators/, bench/ and test/ (see the `lint:deps` script).
 * It checks the project's boundaries: no import cycles, a rules engine free of I/O, posts that know no platform,
 * and which folders may import which (below).
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
    {
      name: 'state-no-cards-or-posts',
      severity: 'error',
      comment:
        'src/state/ keeps what is stored; drawing (cards) and wording (posts) read the stores, never the other ' +
        'way round. A shape both need belongs with the engine (src/milestones/) or in its own small module.',
      from: { path: '^src/state/' },
      to: { path: '^src/(cards|posts)/' },
    },
    {
      name: 'platforms-no-commands-or-http',
      severity: 'error',
      comment:
        'A platform adapter (src/platforms/) is used by the commands and the HTTP routes, not the other way round. ' +
        'The wiring that needs all of them lives above them (src/discord-app.ts, src/main.ts).',
      from: { path: '^src/platforms/' },
      to: { path: '^(commands/|src/http/)' },
    },
    {
      name: 'discord-and-x-apart',
      severity: 'error',
      comment:
        'src/platforms/discord and src/platforms/x never import each other; only the wiring (src/main.ts, ' +
        'src/jobs/) knows both. What both need goes to src/platforms/ (publisher.ts, publish-errors.ts ...).',
      from: { path: '^src/platforms/(discord|x)/' },
      to: { path: '^src/platforms/(discord|x)/', pathNot: '^src/platforms/$1/' },
    },
    {
      name: 'bench-no-test',
      severity: 'error',
      comment:
        'bench/ runs on its own (npm run bench) and must not depend on test code; the loopback emulators both use ' +
        'live in emulators/.',
      from: { path: '^bench/' },
      to: { path: '^test/' },
    },
    {
      name: 'product-no-test-tooling',
      severity: 'error',
      comment: 'The product (src/, commands/) never imports tests, emulators or the bench.',
      from: { path: '^(src|commands)/' },
      to: { path: '^(test|emulators|bench)/' },
    },
    {
      name: 'posts-no-platforms',
      severity: 'error',
      comment:
        'src/posts/ turns a milestone into words for any platform; each platform owns its formatting and fitting ' +
        '(a PostFormat in src/platforms/<name>/), and src/platform-posts/ is the one place that lists them. If posts ' +
        'imported a platform, adding or changing a platform would mean editing posts, and a platform could no ' +
        'longer be reasoned about from its own folder. Pass what posts needs in as a PostFormat instead. The ' +
        "platforms' own packages (twitter-text, discord.js and its parts, twitter-api-v2) are refused too: " +
        'importing one from posts/ is platform code in the wrong folder.',
      from: { path: '^src/posts/' },
      to: {
        path: [
          '^src/platforms/',
          '^src/platform-posts/',
          '^node_modules/(twitter-text|twitter-api-v2|discord\\.js|discord-api-types|@discordjs/[^/]+)/',
        ],
      },
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
