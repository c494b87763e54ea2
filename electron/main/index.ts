// Placeholder: the Electron composition root is being written.
export {};
