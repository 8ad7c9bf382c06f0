// Who edits: the name staff type in the editing bar, remembered on this
// computer. Empty means the computer's login name (the shell's default).

const USER_KEY = "tongtin.user";

export function savedUser(): string {
  try {
    return localStorage.getItem(USER_KEY) ?? "";
  } catch {
    return "";
  }
}

export function saveUser(user: string): void {
  try {
    localStorage.setItem(USER_KEY, user.trim());
  } catch {
    // Not remembered; edits of this session still carry the name.
  }
}
