// typescript-eslint's parser, resolved next to this package's own TypeScript 5 (see package.json).
module.exports = require('@typescript-eslint/parser');
