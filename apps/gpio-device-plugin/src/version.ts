// Kept in a module (not read from package.json at runtime) so bundles and single-file
// executables carry it; a test checks it matches package.json.
export const VERSION = '0.1.0';
