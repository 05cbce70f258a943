/**
 * Browser-only: the TipTap editor bound to the chart's `body` fragment through
 * @tiptap/extension-collaboration (y-prosemirror), with the other editors' carets from the
 * provider's awareness. Loaded lazily by chart-page.tsx (ProseMirror touches `document`).
 * TipTap's own undo history is off: with Yjs, undo must only take back this user's changes,
 * which the collaboration extension's Yjs undo manager does.
 */
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor, useEditorState, type Editor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { useEffect } from "react";
import type { WebsocketProvider } from "y-websocket";
import type * as Y from "yjs";
import type { Locale } from "~/lib/i18n";
import { BODY_FIELD } from "./chart-doc";
import { CHART_MESSAGES } from "./messages";

export interface ChartEditorProps {
  doc: Y.Doc;
  provider: WebsocketProvider;
  editable: boolean;
  user: { name: string; color: string; organization: string };
  locale: Locale;
}

export default function ChartEditor({ doc, provider, editable, user, locale }: ChartEditorProps) {
  const t = CHART_MESSAGES[locale];
  const editor = useEditor(
    {
      immediatelyRender: false,
      editable,
      extensions: [
        StarterKit.configure({
          undoRedo: false,
          heading: { levels: [2, 3] },
          codeBlock: false,
          // It appends a paragraph by itself when the document ends otherwise: an edit nobody made,
          // which a read-only viewer could not even save.
          trailingNode: false,
          link: { openOnClick: false, protocols: ["http", "https", "mailto"] },
        }),
        Collaboration.configure({ document: doc, field: BODY_FIELD }),
        CollaborationCaret.configure({ provider, user }),
      ],
      editorProps: {
        attributes: {
          class: "chart-editor__content",
          "aria-label": t.editorLabel,
          "aria-multiline": "true",
          role: "textbox",
          lang: "ja",
        },
      },
    },
    [doc, provider],
  );

  useEffect(() => {
    if (editor && editor.isEditable !== editable) editor.setEditable(editable);
  }, [editor, editable]);

  return (
    <div className="chart-editor" data-editable={editable ? "true" : "false"}>
      {editable && editor ? <Toolbar editor={editor} locale={locale} /> : null}
      <EditorContent editor={editor} />
    </div>
  );
}

function Toolbar({ editor, locale }: { editor: Editor; locale: Locale }) {
  const t = CHART_MESSAGES[locale];
  const state = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      h2: e.isActive("heading", { level: 2 }),
      h3: e.isActive("heading", { level: 3 }),
      paragraph: e.isActive("paragraph"),
      bullet: e.isActive("bulletList"),
      ordered: e.isActive("orderedList"),
      bold: e.isActive("bold"),
    }),
  });
  const buttons: Array<{ key: string; label: string; active: boolean; run: () => void }> = [
    { key: "h2", label: t.heading2, active: state.h2, run: () => editor.chain().focus().toggleHeading({ level: 2 }).run() },
    { key: "h3", label: t.heading3, active: state.h3, run: () => editor.chain().focus().toggleHeading({ level: 3 }).run() },
    { key: "p", label: t.paragraph, active: state.paragraph, run: () => editor.chain().focus().setParagraph().run() },
    { key: "ul", label: t.bulletList, active: state.bullet, run: () => editor.chain().focus().toggleBulletList().run() },
    { key: "ol", label: t.orderedList, active: state.ordered, run: () => editor.chain().focus().toggleOrderedList().run() },
    { key: "b", label: t.bold, active: state.bold, run: () => editor.chain().focus().toggleBold().run() },
  ];
  return (
    <div role="toolbar" aria-label={t.toolbar} className="chart-toolbar no-print">
      {buttons.map((b) => (
        <button key={b.key} type="button" className="chart-toolbar__button" aria-pressed={b.active} onMouseDown={(e) => e.preventDefault()} onClick={b.run}>
          {b.label}
        </button>
      ))}
    </div>
  );
}
