"""App evidence for built images: the files copied out of the image are its build context."""

from __future__ import annotations

from collections.abc import Sequence

from initlint.model import AppEvidence, RuntimeSpec
from initlint.sources.image import LoadedImage, load_images


def image_evidence(loaded: LoadedImage) -> AppEvidence | None:
    """App evidence (initlint.evidence) from the files copied out of the image.

    The copied files sit at their image paths under ``files_root``, so the image is to the
    evidence resolver what a Dockerfile with one ``COPY . /`` of that folder would be: a path
    that was not copied (a binary, a file no argv word names) is "not in the build context",
    which keeps the rules quiet rather than guessing.
    """
    spec, inspection = loaded.spec, loaded.inspection
    if inspection.files_root is None or not spec.argv:
        return None
    from initlint.evidence.context import BuildContext, Copy
    from initlint.evidence.resolve import Resolver, environment

    root = inspection.files_root
    context = BuildContext(root, copies=[Copy((root,), "/", into_directory=True)])
    config = inspection.config
    env = environment(config.working_dir or "/", dict(config.env), spec.shell_family)
    return Resolver(context, env).evidence(spec.argv)


def load_image_specs(refs: Sequence[str], pull: bool = False) -> list[RuntimeSpec]:
    """The RuntimeSpec of each image, its evidence attached; InputError for the first image
    that cannot be read."""
    return [
        loaded.spec._replace(evidence=image_evidence(loaded)) for loaded in load_images(refs, pull)
    ]
