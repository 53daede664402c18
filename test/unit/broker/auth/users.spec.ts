/** The user directory behind AMQP login and HTTP Basic auth. */
import { UserDirectory } from '../../../../src/broker/auth/users';

describe('UserDirectory', () => {
  let users: UserDirectory;
  beforeEach(() => {
    users = new UserDirectory();
    users.add('guest', 'guest');
    users.add('ops', 'pässwörd', ['monitoring']);
  });

  it('authenticates a user whose password matches, with its tags', () => {
    expect(users.authenticate('guest', 'guest')).toEqual({ name: 'guest', tags: ['administrator'] });
    expect(users.authenticate('ops', 'pässwörd')).toEqual({ name: 'ops', tags: ['monitoring'] });
  });

  it.each([
    ['a wrong password of the same length', 'guest', 'guesT'],
    ['a longer password', 'guest', 'guest1'],
    ['a shorter password', 'guest', 'gues'],
    ['an empty password', 'guest', ''],
    ['an unknown user', 'nobody', 'guest'],
    ['a name in another case', 'Guest', 'guest'],
    ['the same characters in another normalisation', 'ops', 'pa\u0308sswörd'],
  ])('refuses %s', (_, name, password) => {
    expect(users.authenticate(name, password)).toBeUndefined();
  });

  it('replaces a user added again', () => {
    users.add('guest', 'new');
    expect(users.authenticate('guest', 'guest')).toBeUndefined();
    expect(users.authenticate('guest', 'new')).toBeDefined();
  });

  it('lists users without their passwords', () => {
    expect(users.list()).toEqual([
      { name: 'guest', tags: ['administrator'] },
      { name: 'ops', tags: ['monitoring'] },
    ]);
  });
});
