/**
 * Who is signed in, for the pages: App provides it, pages read it with
 * useAuth() without importing the shell (and its page table) back.
 */
import { createContext, useContext } from 'react';
import type { User } from './api';

export type Auth = { user: User; signOut: () => void };
export const AuthContext = createContext<Auth | null>(null);

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside a signed-in page');
  return auth;
}
