// The hostile suite against `serve chat`: clients that never read while another talks as fast as
// the server takes it. Each slow client may hold at most its backlog (1 MiB, then it is dropped);
// the runtime's growth under the same flood is node:net's, measured in the same run.
import { attackTests } from './attack-table.js';
import { deafChatClients } from './attacks.js';
import { BOUNDS } from './bounds.js';
import { NODE_NET_CHAT } from './peers.js';

attackTests([
  {
    title: 'chat: 16 clients that never read while one talks for 8 s hold at most their backlog each',
    spec: { server: 'chat' },
    attack: deafChatClients,
    bound: BOUNDS.deafChatClients,
    reference: NODE_NET_CHAT,
  },
]);
