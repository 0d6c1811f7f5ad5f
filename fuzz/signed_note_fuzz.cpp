// The signed-note, checkpoint and verifier-key parsers (C2SP signed note and checkpoint), as
// `corridor audit` and the checkpoint-verify model meet them from outside.
#include <string_view>

#include "fuzz.hpp"
#include "registry/note.hpp"

CORRIDOR_FUZZ_TARGET(signed_note) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  static const auto signer = corridor::registry::NoteSigner::Generate("fuzz.example/log");
  static const auto verifier = signer.Verifier();
  (void)corridor::registry::NoteVerifier::Parse(text);
  if (auto cp = corridor::registry::Checkpoint::Parse(text)) {
    // What parses re-encodes to text that parses to the same checkpoint.
    auto again = corridor::registry::Checkpoint::Parse(cp->Text());
    CORRIDOR_FUZZ_CHECK(again && again->size == cp->size && again->root == cp->root &&
                        again->origin == cp->origin);
  }
  if (auto opened = corridor::registry::OpenNote(text, verifier)) {
    // Only a note this key signed opens, and its text is what was signed.
    CORRIDOR_FUZZ_CHECK(text.starts_with(*opened));
  }
  return 0;
}
