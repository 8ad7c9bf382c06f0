//! Undo and redo: each applied edit keeps its exact inverse; undoing applies
//! the inverse (itself a journaled edit) and keeps the inverse of that for redo.

use super::change::{Applied, Edit};
use super::editor::Editor;
use super::EditError;

/// The edits of one editing session that can be taken back, newest last.
#[derive(Debug, Default)]
pub struct UndoStack {
    undo: Vec<Edit>,
    redo: Vec<Edit>,
}

/// How many steps are kept.
const DEPTH: usize = 200;

impl UndoStack {
    /// Remembers a new edit; what was undone before can no longer be redone.
    pub fn push(&mut self, applied: &Applied) {
        self.undo.push(applied.inverse.clone());
        if self.undo.len() > DEPTH {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// The label of the edit the next undo takes back.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|e| e.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|e| e.label.as_str())
    }

    /// Takes back the newest edit. `Ok(None)` when there is nothing to undo.
    /// An edit that can no longer be taken back (the feature changed since
    /// by another tool) is dropped from the stack with the error.
    pub fn undo(&mut self, editor: &mut Editor) -> Result<Option<Applied>, EditError> {
        let Some(edit) = self.undo.pop() else {
            return Ok(None);
        };
        let applied = editor.apply(&edit)?;
        self.redo.push(applied.inverse.clone());
        Ok(Some(applied))
    }

    /// Makes the newest undone edit again.
    pub fn redo(&mut self, editor: &mut Editor) -> Result<Option<Applied>, EditError> {
        let Some(edit) = self.redo.pop() else {
            return Ok(None);
        };
        let applied = editor.apply(&edit)?;
        self.undo.push(applied.inverse.clone());
        Ok(Some(applied))
    }

    /// Forgets everything (another file was opened).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}
