import * as kh from 'kubeharden';
import { createApi } from '/node_modules/kubeharden/api.js';
import * as glue from '/node_modules/kubeharden/kubeharden.js';
import { trapAndRecover } from '../hostile-lib.mjs';
import { start } from './app.mjs';

window.trapAndRecover = () => trapAndRecover(kh, glue, createApi);
start(kh);
