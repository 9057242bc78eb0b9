/** Runs `<package>/dist/cli.js` for the bin at `binUrl` (its import.meta.url). */
export declare function launch(binUrl: string, name: string): Promise<void>;
