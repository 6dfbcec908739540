package retouch.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import retouch.RetouchException;
import retouch.image.Image;

class PatchSamplerTest {
    static List<Image> randomImages(int n, int c, int h, int w, long seed) {
        Random r = new Random(seed);
        List<Image> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Image im = new Image(c, h, w);
            for (int k = 0; k < im.data().length; k++) im.data()[k] = r.nextFloat();
            out.add(im);
        }
        return out;
    }

    @Test
    void strideGridCoversEveryPositionOncePerEpoch() {
        List<Image> imgs = randomImages(3, 1, 180, 180, 1);
        assertEquals(15, PatchSampler.gridPositions(180, 40, 10));
        PatchSampler s = PatchSampler.builder(imgs).patchSize(40).stride(10).augment(PatchSampler.Augment.NONE).poolImages(2).seed(3).build();
        assertEquals(3 * 15 * 15, s.patchesPerEpoch());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 675; i++) {
            PatchSampler.Patch p = s.nextPatch();
            assertEquals(0, p.epoch());
            assertEquals(0, p.y() % 10);
            assertTrue(p.y() <= 140 && p.x() <= 140);
            assertTrue(seen.add(p.source() + ":" + p.y() + ":" + p.x()), "no position twice in an epoch");
            assertArrayEquals(imgs.get(p.source()).crop(p.y(), p.x(), 40, 40).data(), p.image().data());
        }
        assertEquals(675, seen.size());
        assertEquals(3, s.imagesDecoded());
        assertEquals(1, s.nextPatch().epoch());
        assertEquals(5, s.imagesDecoded(), "next epoch decodes its first pool of 2");
    }

    @Test
    void augmentAllGivesEightDistinctTransformsPerPosition() {
        List<Image> imgs = randomImages(2, 3, 50, 60, 2);
        PatchSampler s = PatchSampler.builder(imgs).patchSize(16).stride(16).augment(PatchSampler.Augment.ALL).build();
        assertEquals(2L * 3 * 3 * 8, s.patchesPerEpoch());
        List<PatchSampler.Patch> ps = new ArrayList<>();
        for (int i = 0; i < 144; i++) ps.add(s.nextPatch());
        Set<String> modes = new HashSet<>();
        Set<String> contents = new HashSet<>();
        for (PatchSampler.Patch p : ps) {
            assertEquals(3, p.image().channels());
            modes.add(p.source() + ":" + p.y() + ":" + p.x() + ":" + p.mode());
            contents.add(Arrays.toString(p.image().data()));
            Image back = PatchSampler.dihedral(p.image(), PatchSampler.inverseMode(p.mode()));
            assertArrayEquals(imgs.get(p.source()).crop(p.y(), p.x(), 16, 16).data(), back.data());
        }
        assertEquals(144, modes.size());
        assertEquals(144, contents.size(), "random content: the 8 transforms all differ");
    }

    @Test
    void dihedralOnKnownMatrix() {
        // 2x3: [[1,2,3],[4,5,6]]
        Image im = new Image(1, 2, 3, new float[] {1, 2, 3, 4, 5, 6});
        Image r1 = PatchSampler.dihedral(im, 1); // one quarter turn counter-clockwise
        assertEquals(3, r1.height());
        assertArrayEquals(new float[] {3, 6, 2, 5, 1, 4}, r1.data());
        assertArrayEquals(new float[] {6, 5, 4, 3, 2, 1}, PatchSampler.dihedral(im, 2).data());
        assertArrayEquals(new float[] {4, 1, 5, 2, 6, 3}, PatchSampler.dihedral(im, 3).data());
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4}, PatchSampler.dihedral(im, 4).data());
        for (int m = 0; m < 8; m++) {
            assertArrayEquals(im.data(), PatchSampler.dihedral(PatchSampler.dihedral(im, m), PatchSampler.inverseMode(m)).data());
        }
    }

    @Test
    void sameSeedSamePatchesDifferentSeedDifferent() {
        List<Image> imgs = randomImages(5, 1, 48, 64, 4);
        float[] a = PatchSampler.builder(imgs).patchSize(20).random(6).seed(42).build().nextBatch(70);
        float[] b = PatchSampler.builder(imgs).patchSize(20).random(6).seed(42).build().nextBatch(70);
        float[] c = PatchSampler.builder(imgs).patchSize(20).random(6).seed(43).build().nextBatch(70);
        assertEquals(70 * 400, a.length);
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
        PatchSampler s = PatchSampler.builder(imgs).patchSize(20).random(6).seed(42).channels(3).build();
        assertEquals(3 * 400, s.patchLength());
        float[] buf = new float[2 * 3 * 400 + 5];
        s.nextBatch(2, buf, 5);
        assertEquals(0f, buf[0], 0f);
        assertEquals(buf[5], buf[5 + 400], 0f, "gray promoted to RGB: equal planes");
        assertEquals(30, s.patchesPerEpoch());
    }

    @Test
    void streamsFromAFolderDecodingAPoolAtATime() throws URISyntaxException {
        Path images = Path.of(PatchSamplerTest.class.getResource("/images").toURI());
        ImageFolder folder = ImageFolder.of(images);
        assertEquals(6, folder.size());
        PatchSampler s = PatchSampler.builder(folder).patchSize(16).stride(16).channels(1).poolImages(2).seed(7).build();
        assertEquals(6 * 16, s.patchesPerEpoch());
        assertEquals(0, s.imagesDecoded());
        s.nextBatch(1);
        assertEquals(2, s.imagesDecoded(), "only the first pool is decoded");
        s.nextBatch(95);
        assertEquals(6, s.imagesDecoded());
        assertEquals(0, s.epoch());
        Image p = s.next();
        assertEquals(1, p.channels());
        assertEquals(16, p.width());
        assertEquals(1, s.epoch());
    }

    @Test
    void tooSmallImagesAreNamed() {
        PatchSampler s = PatchSampler.builder(randomImages(1, 1, 10, 10, 0)).patchSize(16).build();
        RetouchException e = assertThrows(RetouchException.class, s::next);
        assertTrue(e.getMessage().contains("image #0") && e.getMessage().contains("smaller than the patch size 16"), e.getMessage());
    }

    /** The patch modes are the shared Dihedral transforms, pixel for pixel, as the former copy computed them. */
    @org.junit.jupiter.api.Test
    void patchModesEqualTheSharedDihedralTransforms() {
        Image im = new Image(3, 3, 5);
        for (int i = 0; i < im.data().length; i++) im.data()[i] = i;
        // mode 1: one quarter turn counter-clockwise; the top row becomes the left column, read bottom-up
        Image turned = PatchSampler.dihedral(im, 1);
        org.junit.jupiter.api.Assertions.assertEquals(5, turned.height());
        org.junit.jupiter.api.Assertions.assertEquals(im.get(0, 0, 4), turned.get(0, 0, 0));
        org.junit.jupiter.api.Assertions.assertEquals(im.get(0, 0, 0), turned.get(0, 4, 0));
        // mode 4: mirror left-right; mode 5: a quarter turn, then the mirror
        org.junit.jupiter.api.Assertions.assertEquals(im.get(1, 2, 4), PatchSampler.dihedral(im, 4).get(1, 2, 0));
        Image m5 = PatchSampler.dihedral(im, 5);
        org.junit.jupiter.api.Assertions.assertEquals(turned.get(0, 1, 2), m5.get(0, 1, 0));
        java.util.Set<String> distinct = new java.util.HashSet<>();
        for (int m = 0; m < 8; m++) distinct.add(java.util.Arrays.toString(PatchSampler.dihedral(im, m).data()) + PatchSampler.dihedral(im, m).height());
        org.junit.jupiter.api.Assertions.assertEquals(8, distinct.size(), "eight different transforms");
    }
}
