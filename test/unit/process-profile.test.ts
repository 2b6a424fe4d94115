import { describe, expect, it } from 'vitest';
import { allocatorEnv, nodeOptions, profiledEnv, profileMarker, withoutProfile } from '../../activities/process-profile.js';

describe('process profile', () => {
  it('adds the allocator settings and Node options, keeping options already given after them (so they win)', () => {
    const env = profiledEnv({ PATH: '/bin', NODE_OPTIONS: '--max-semi-space-size=32 --trace-warnings' });
    expect(env).toMatchObject({ PATH: '/bin', ...allocatorEnv, [profileMarker]: '1' });
    expect(env.NODE_OPTIONS).toBe([...nodeOptions, '--max-semi-space-size=32', '--trace-warnings'].join(' '));
  });

  it('is applied once however often it is asked for', () => {
    const once = profiledEnv({ NODE_OPTIONS: '--trace-warnings' });
    expect(profiledEnv(once)).toEqual(once);
  });

  it('can be taken off again, leaving the options that were not its own', () => {
    const base = { PATH: '/bin', NODE_OPTIONS: '--trace-warnings' };
    expect(withoutProfile(profiledEnv(base))).toEqual(base);
    expect(withoutProfile(profiledEnv({ PATH: '/bin' }))).toEqual({ PATH: '/bin' });
  });
});
