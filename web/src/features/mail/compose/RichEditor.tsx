import { useEffect, useState, type ReactNode } from 'react';
import { Button, Divider, Flex, Input, Popover, Tooltip, theme } from 'antd';
import {
  BoldOutlined,
  ClearOutlined,
  ItalicOutlined,
  LinkOutlined,
  OrderedListOutlined,
  RedoOutlined,
  StrikethroughOutlined,
  UnderlineOutlined,
  UndoOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { EditorContent, useEditor, useEditorState, type Editor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import Image from '@tiptap/extension-image';
import { useT } from '@web/app/i18n';

/** What a caller may do with the editor once it is ready (e.g. insert a merge field at the cursor). */
export type RichEditorApi = { insertText: (text: string) => void; focus: () => void };

type Props = {
  /** the starting content; later changes of this prop are ignored (the editor owns its content) */
  initialHtml: string;
  onChange: (html: string) => void;
  onReady?: (api: RichEditorApi) => void;
  ariaLabel: string;
  minHeight?: number;
};

/** The mail rich-text editor (tiptap): paragraphs, bold/italic/underline/strike, lists, quotes, links, images. */
export function RichEditor({ initialHtml, onChange, onReady, ariaLabel, minHeight = 220 }: Props) {
  const { token } = theme.useToken();
  const editor = useEditor({
    extensions: [StarterKit.configure({ link: { openOnClick: false, autolink: true } }), Image.configure({ inline: true })],
    content: initialHtml,
    editorProps: {
      attributes: {
        'aria-label': ariaLabel,
        role: 'textbox',
        'aria-multiline': 'true',
        'data-testid': 'mail-editor',
        style: `min-height:${minHeight}px;outline:none;padding:8px 12px`,
      },
    },
    onUpdate: ({ editor: e }) => onChange(e.getHTML()),
  });

  useEffect(() => {
    if (!editor || !onReady) return;
    onReady({
      insertText: (text) => editor.chain().focus().insertContent(text).run(),
      focus: () => editor.commands.focus('end'),
    });
    // once the editor exists
  }, [editor]);

  return (
    <div style={{ border: `1px solid ${token.colorBorder}`, borderRadius: token.borderRadius }} className="xt-mail-editor">
      <style>{EDITOR_CSS}</style>
      {editor ? <Toolbar editor={editor} /> : null}
      <EditorContent editor={editor} />
    </div>
  );
}

const EDITOR_CSS = `
.xt-mail-editor .ProseMirror p{margin:0 0 .5em}
.xt-mail-editor .ProseMirror blockquote{margin:0 0 0 .8ex;border-left:2px solid #d9d9d9;padding-left:1ex;color:#595959}
.xt-mail-editor .ProseMirror img{max-width:100%}
.xt-mail-editor .ProseMirror ul,.xt-mail-editor .ProseMirror ol{padding-left:1.5em}
`;

function Toolbar({ editor }: { editor: Editor }) {
  const t = useT();
  const { token } = theme.useToken();
  const s = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      underline: e.isActive('underline'),
      strike: e.isActive('strike'),
      bullet: e.isActive('bulletList'),
      ordered: e.isActive('orderedList'),
      quote: e.isActive('blockquote'),
      link: e.isActive('link'),
      canUndo: e.can().undo(),
      canRedo: e.can().redo(),
    }),
  });
  const chain = () => editor.chain().focus();
  const tool = (key: string, icon: ReactNode, active: boolean, run: () => void, disabled = false) => (
    <Tooltip title={t(`mailui.editor.${key}`)} key={key}>
      <Button
        type={active ? 'primary' : 'text'}
        ghost={active}
        size="small"
        icon={icon}
        aria-label={t(`mailui.editor.${key}`)}
        aria-pressed={active}
        disabled={disabled}
        onMouseDown={(e) => e.preventDefault()}
        onClick={run}
      />
    </Tooltip>
  );
  return (
    <Flex gap={2} wrap align="center" style={{ padding: 4, borderBottom: `1px solid ${token.colorBorderSecondary}` }}>
      {tool('bold', <BoldOutlined />, s.bold, () => chain().toggleBold().run())}
      {tool('italic', <ItalicOutlined />, s.italic, () => chain().toggleItalic().run())}
      {tool('underline', <UnderlineOutlined />, s.underline, () => chain().toggleUnderline().run())}
      {tool('strike', <StrikethroughOutlined />, s.strike, () => chain().toggleStrike().run())}
      <Divider vertical />
      {tool('bullet', <UnorderedListOutlined />, s.bullet, () => chain().toggleBulletList().run())}
      {tool('ordered', <OrderedListOutlined />, s.ordered, () => chain().toggleOrderedList().run())}
      {tool('quote', <span style={{ fontWeight: 700 }}>”</span>, s.quote, () => chain().toggleBlockquote().run())}
      <LinkTool editor={editor} active={s.link} />
      <Divider vertical />
      {tool('clear', <ClearOutlined />, false, () => chain().unsetAllMarks().clearNodes().run())}
      {tool('undo', <UndoOutlined />, false, () => chain().undo().run(), !s.canUndo)}
      {tool('redo', <RedoOutlined />, false, () => chain().redo().run(), !s.canRedo)}
    </Flex>
  );
}

function LinkTool({ editor, active }: { editor: Editor; active: boolean }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [href, setHref] = useState('');
  const apply = () => {
    const url = href.trim();
    const chain = editor.chain().focus().extendMarkRange('link');
    if (!url) chain.unsetLink().run();
    else chain.setLink({ href: /^[a-z]+:/i.test(url) ? url : `https://${url}` }).run();
    setOpen(false);
  };
  return (
    <Popover
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) setHref((editor.getAttributes('link').href as string | undefined) ?? '');
      }}
      trigger="click"
      content={
        <Flex gap={4}>
          <Input
            size="small"
            value={href}
            onChange={(e) => setHref(e.target.value)}
            onPressEnter={apply}
            placeholder="https://"
            aria-label={t('mailui.editor.link_url')}
            style={{ width: 240 }}
          />
          <Button size="small" type="primary" onClick={apply}>
            {t('common.confirm')}
          </Button>
        </Flex>
      }
    >
      <Tooltip title={t('mailui.editor.link')}>
        <Button
          type={active ? 'primary' : 'text'}
          ghost={active}
          size="small"
          icon={<LinkOutlined />}
          aria-label={t('mailui.editor.link')}
        />
      </Tooltip>
    </Popover>
  );
}
