package retouch.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import retouch.image.Image;

class ImageTensorsTest {

    private static Image ramp(int c, int h, int w, float offset) {
        Image im = new Image(c, h, w);
        for (int i = 0; i < im.data().length; i++) {
            im.data()[i] = offset + i / 100f;
        }
        return im;
    }

    @Test
    void singleImageRoundTripKeepsLayoutAndValues() {
        Engines.init();
        Image rgb = ramp(3, 2, 4, 0f);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = ImageTensors.toArray(m, rgb);
            assertEquals(new Shape(3, 2, 4), a.getShape());
            assertEquals(DataType.FLOAT32, a.getDataType());
            // CHW: element (c=2, y=1, x=3) is the last sample
            assertEquals(rgb.get(2, 1, 3), a.getFloat(2, 1, 3));
            assertEquals(rgb.get(1, 0, 2), a.getFloat(1, 0, 2));
            Image back = ImageTensors.toImage(a);
            assertEquals(3, back.channels());
            assertArrayEquals(rgb.data(), back.data());
            NDArray b = ImageTensors.toBatch(m, rgb);
            assertEquals(new Shape(1, 3, 2, 4), b.getShape());
            assertArrayEquals(rgb.data(), ImageTensors.toImage(b).data());
        }
    }

    @Test
    void batchRoundTripAndConversions() {
        Engines.init();
        List<Image> ims = List.of(ramp(1, 3, 5, 0f), ramp(1, 3, 5, 1f), ramp(1, 3, 5, 2f));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray b = ImageTensors.toBatch(m, ims);
            assertEquals(new Shape(3, 1, 3, 5), b.getShape());
            assertEquals(2f + 14 / 100f, b.getFloat(2, 0, 2, 4), 0f);
            List<Image> back = ImageTensors.toImages(b);
            assertEquals(3, back.size());
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(ims.get(i).data(), back.get(i).data());
            }
            // float64 and uint8 arrays come back as float32 images
            NDArray d = b.toType(DataType.FLOAT64, true);
            assertArrayEquals(ims.get(1).data(), ImageTensors.toImages(d).get(1).data());
            NDArray u8 = m.create(new byte[] {0, 1, 2, 3}, new Shape(1, 2, 2)).toType(DataType.UINT8, false);
            assertArrayEquals(new float[] {0, 1, 2, 3}, ImageTensors.toImage(u8).data());
            // a non-contiguous view (transposed twice) still reads in CHW order
            NDArray t = b.transpose(0, 1, 3, 2).transpose(0, 1, 3, 2);
            assertArrayEquals(ims.get(2).data(), ImageTensors.toImages(t).get(2).data());
        }
    }

    @Test
    void rejectsMixedShapesAndWrongRanks() {
        Engines.init();
        try (NDManager m = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ImageTensors.toBatch(m, List.of(ramp(1, 2, 2, 0), ramp(1, 2, 3, 0))));
            assertEquals(true, e.getMessage().contains("image 1 is 3x2x1"));
            assertThrows(IllegalArgumentException.class, () -> ImageTensors.toBatch(m, List.of()));
            assertThrows(IllegalArgumentException.class, () -> ImageTensors.toImage(m.zeros(new Shape(2, 2))));
            assertThrows(IllegalArgumentException.class, () -> ImageTensors.toImages(m.zeros(new Shape(1, 2, 2))));
        }
    }
}
