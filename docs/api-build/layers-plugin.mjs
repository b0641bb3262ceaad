// A TypeDoc plugin that files every export of `switchboard` under the README's layers ("API map
// by layer"): sockets, select and reactor, transports, protocols, codecs, servers, testing, TLS.
// The layer follows from the file an export is declared in, so the sources need no @group tag
// and a new file lands in its layer by where it lives. An export whose file matches no rule fails
// the build, so nothing ends up in an unnamed list.
import { Comment, CommentTag, Converter, ReflectionKind } from 'typedoc';

/** [package-relative path pattern, layer], first match wins (typedoc.json's groupOrder orders the groups). */
export const LAYERS = [
  [/^src\/testing\/|^src\/reactor\/clock\.ts$/, 'Testing'],
  [/^src\/transports\/tls\//, 'TLS'],
  [/^src\/(contract|bytes|transports\/connection)\/|^src\/transports\/(endpoints|socket-transport)\.ts$/, 'Transports'],
  [/^src\/transports\//, 'Sockets'],
  [/^src\/reactor\//, 'Select and reactor'],
  [/^src\/protocols\/framing\//, 'Codecs'],
  [/^src\/protocols\/(apps|http|resp|proxy)\//, 'Servers'],
  [/^src\/protocols\//, 'Protocols'],
];

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const project = context.project;
    for (const module of project.getReflectionsByKind(ReflectionKind.Module)) {
      for (const reflection of module.children ?? []) {
        const path = project.getSymbolIdFromReflection(reflection)?.packagePath;
        const layer = LAYERS.find(([pattern]) => path !== undefined && pattern.test(path))?.[1];
        if (layer === undefined) {
          app.logger.error(`layers-plugin: ${reflection.getFullName()} (${path ?? 'no source file'}) is in no layer; add a rule to docs/api-build/layers-plugin.mjs`);
          continue;
        }
        reflection.comment ??= new Comment();
        reflection.comment.blockTags = reflection.comment.blockTags.filter((tag) => tag.tag !== '@group');
        reflection.comment.blockTags.push(new CommentTag('@group', [{ kind: 'text', text: layer }]));
      }
    }
  });
}
