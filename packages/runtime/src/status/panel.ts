// What an app adds to the status page: its panel (an HTML fragment, its style and its script,
// embedded into the build from the app's src/status/assets/) and its live state.

export interface PanelAssets {
  readonly 'panel.html': string;
  readonly 'panel.css': string;
  readonly 'panel.js': string;
}

export interface StatusPanel {
  assets: PanelAssets;
  /** The app's state now: what a page shows first when it opens. */
  state(): unknown;
}
