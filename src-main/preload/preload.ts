/**
 * The desktop window's preload (bundled to one CommonJS file: sandboxed preloads cannot load
 * modules). It exposes only the contract bridge, as `window.kubedesk`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('kubedesk', createBridge(ipcRenderer));
