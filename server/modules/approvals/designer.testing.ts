import { loginAs, type Client, type TestApp } from '@server/test/app';
import { createPosition, createUser, permissions } from '@server/test/factories';

/** A signed-in user ('designer') whose position may do everything with approval flows, positions and forms. */
export async function signInDesigner(t: TestApp): Promise<Client> {
  const positionId = await createPosition(t.database.db, {
    name: '流程管理员',
    permissions: permissions({ workflow: { actions: ['view', 'create', 'edit', 'delete'], scope: 'all' } }),
  });
  const d = await createUser(t.database.db, { username: 'designer', name: '流程设计', positionId });
  return loginAs(t.app, d.username, d.password);
}
