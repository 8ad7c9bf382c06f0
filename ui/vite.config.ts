import { defineConfig } from "vitest/config";

// The UI is served by Vite in development (tauri.conf.json devUrl) and
// embedded from ui/dist in the app built with the `custom-protocol` feature.
export default defineConfig({
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
  },
  build: {
    // WebKitGTK on Debian 12 and later.
    target: ["es2021", "safari15"],
    // Fonts and images stay files: the CSP allows fonts from 'self' only, not data: URIs.
    assetsInlineLimit: 0,
    outDir: "dist",
    emptyOutDir: true,
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
